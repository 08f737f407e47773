import type { AppResources } from '@teamspro/core/tab';

/** Contact Pro's tab strings (namespace "app"); the shell brings its own. */
export const resources = {
  en: {
    name: "Contact Pro",
    home: {
      title: "Welcome to Contact Pro",
      description: "Keep a shared contact book in a channel or chat, find anyone as you type, and reach them by chat, call, e-mail or meeting in one click.",
      featuresHeading: "What you'll be able to do",
      features: [
        "Group, card and list views with custom fields, groups, tags and favourites.",
        "Import from Excel, CSV or vCard in the background, with every rejected row explained; export the same formats.",
        "Choose who can add, change or delete contacts, and restore deleted ones for 30 days."
      ]
    }
  },
  fr: {
    name: "Contact Pro",
    home: {
      title: "Bienvenue dans Contact Pro",
      description: "Tenez un carnet d'adresses partagé dans un canal ou une conversation, trouvez n'importe qui pendant la saisie et joignez-le par conversation, appel, e-mail ou réunion en un clic.",
      featuresHeading: "Ce que vous pourrez faire",
      features: [
        "Vues par groupe, en cartes et en liste, avec champs personnalisés, groupes, étiquettes et favoris.",
        "Importez depuis Excel, CSV ou vCard en arrière-plan, chaque ligne refusée étant expliquée ; exportez dans les mêmes formats.",
        "Choisissez qui peut ajouter, modifier ou supprimer des contacts, et restaurez les contacts supprimés pendant 30 jours."
      ]
    }
  },
} satisfies AppResources;
