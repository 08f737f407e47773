import type { AppResources } from '@teamspro/core/tab';

/** Company Communicator Pro's tab strings (namespace "app"); the shell brings its own. */
export const resources = {
  en: {
    name: "Company Communicator Pro",
    home: {
      title: "Welcome to Company Communicator Pro",
      description: "Compose announcements as Adaptive Cards and deliver them to everyone, to chosen teams or to groups — each reader in their own language — then see who received and read them and what they thought.",
      featuresHeading: "What you'll be able to do",
      features: [
        "Compose cards with an image, link buttons and feedback, with one version per language and a live preview in light and dark themes.",
        "Send now or schedule it, to everyone, teams, groups or an uploaded list, without ever sending twice to the same person.",
        "Follow delivery, reads, clicks and feedback live, resend to those who missed it, and export the report."
      ]
    }
  },
  fr: {
    name: "Company Communicator Pro",
    home: {
      title: "Bienvenue dans Company Communicator Pro",
      description: "Rédigez des annonces sous forme de cartes adaptatives et envoyez-les à tous, à des équipes ou à des groupes — chaque lecteur dans sa langue — puis voyez qui les a reçues et lues, et ce qu'il en a pensé.",
      featuresHeading: "Ce que vous pourrez faire",
      features: [
        "Rédigez des cartes avec image, boutons de lien et avis, une version par langue, avec un aperçu en direct en thème clair et sombre.",
        "Envoyez maintenant ou planifiez, à tous, à des équipes, à des groupes ou à une liste importée, sans jamais envoyer deux fois à la même personne.",
        "Suivez en direct la remise, les lectures, les clics et les avis, renvoyez à ceux qui l'ont manquée et exportez le rapport."
      ]
    }
  },
} satisfies AppResources;
