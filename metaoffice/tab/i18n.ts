import type { AppResources } from '@teamspro/core/tab';

/** MetaOffice Pro's tab strings (namespace "app"); the shell brings its own. */
export const resources = {
  en: {
    name: "MetaOffice Pro",
    home: {
      title: "Welcome to MetaOffice Pro",
      description: "Meet your team in a 2D virtual office: walk up to colleagues to talk, see everyone's Teams presence, and jump into a call or meeting.",
      featuresHeading: "What you'll be able to do",
      features: [
        "Offices for each team, with rooms and desks on maps you can bring yourself.",
        "Real-time movement, avatars, emotes and Teams presence for everyone nearby.",
        "Walk next to someone to start a conversation, a Teams call or a meeting; knock to invite a colleague."
      ]
    }
  },
  fr: {
    name: "MetaOffice Pro",
    home: {
      title: "Bienvenue dans MetaOffice Pro",
      description: "Retrouvez votre équipe dans un bureau virtuel en 2D : approchez-vous de vos collègues pour discuter, voyez la présence Teams de chacun et lancez un appel ou une réunion.",
      featuresHeading: "Ce que vous pourrez faire",
      features: [
        "Un bureau par équipe, avec salles et postes de travail, sur des plans que vous pouvez fournir.",
        "Déplacements en temps réel, avatars, émoticônes et présence Teams de chacun à proximité.",
        "Approchez-vous de quelqu'un pour discuter, l'appeler dans Teams ou ouvrir une réunion ; frappez pour inviter un collègue."
      ]
    }
  },
} satisfies AppResources;
