import type { AppResources } from '@teamspro/core/tab';

/** Calendar Pro's tab strings (namespace "app"); the shell brings its own. */
export const resources = {
  en: {
    name: "Calendar Pro",
    home: {
      title: "Welcome to Calendar Pro",
      description: "Share a calendar with your channel or chat: month, week, day and agenda views, recurring events that stay right across time zones and daylight saving, and reminders in Teams.",
      featuresHeading: "What you'll be able to do",
      features: [
        "Events with time zone, participants, coloured tags, links and a Teams meeting.",
        "Recurring events, public holidays, and each viewer in their own time zone.",
        "Notifications and reminders in Teams, and calendars that sync with .ics feeds both ways."
      ]
    }
  },
  fr: {
    name: "Calendar Pro",
    home: {
      title: "Bienvenue dans Calendar Pro",
      description: "Partagez un calendrier avec votre canal ou votre conversation : vues mois, semaine, jour et agenda, événements périodiques justes malgré les fuseaux horaires et l'heure d'été, et rappels dans Teams.",
      featuresHeading: "Ce que vous pourrez faire",
      features: [
        "Des événements avec fuseau horaire, participants, étiquettes de couleur, liens et réunion Teams.",
        "Événements périodiques, jours fériés, et chacun voit le calendrier dans son propre fuseau horaire.",
        "Notifications et rappels dans Teams, et calendriers synchronisés avec des flux .ics dans les deux sens."
      ]
    }
  },
} satisfies AppResources;
