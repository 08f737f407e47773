import { builtTabDir, type AppDefinition } from '@teamspro/core';

export const definition: AppDefinition = {
  id: 'contact',
  displayName: 'Contact Pro',
  tabDir: builtTabDir(import.meta.url),
  botTexts: {
    welcome: {
      en: "Hi! I'm Contact Pro. Add me as a tab to share a contact book with your team, or search your books from the message extension. Type **help** for more.",
      fr: "Bonjour ! Je suis Contact Pro. Ajoutez-moi en onglet pour partager un carnet de contacts avec votre équipe, ou cherchez dans vos carnets depuis l'extension de message. Tapez **aide** pour en savoir plus.",
    },
    help: {
      en: "**Contact Pro**\n\n- Add a **Contact Pro** tab to a channel or chat to share a contact book.\n- Open the personal tab to see all your books.\n- In a message, use the Contact Pro extension to search your books and insert a contact card.",
      fr: "**Contact Pro**\n\n- Ajoutez un onglet **Contact Pro** à un canal ou une conversation pour partager un carnet.\n- Ouvrez l'onglet personnel pour voir tous vos carnets.\n- Dans un message, utilisez l'extension Contact Pro pour chercher et insérer une carte de contact.",
    },
    fallback: {
      en: "I didn't catch that. Type **help** to see what I can do.",
      fr: "Je n'ai pas compris. Tapez **aide** pour voir ce que je sais faire.",
    },
  },
};
