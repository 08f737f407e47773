import { builtTabDir, type AppDefinition } from '@teamspro/core';

export const definition: AppDefinition = {
  id: 'image',
  displayName: 'Image Pro',
  tabDir: builtTabDir(import.meta.url),
  botTexts: {
    welcome: {
      en: "Hi! I'm Image Pro. Pin and edit images from your team's SharePoint library in a tab, or insert them from the message extension. Type **help** for more.",
      fr: "Bonjour ! Je suis Image Pro. Épinglez et modifiez les images de la bibliothèque SharePoint de votre équipe dans un onglet, ou insérez-les depuis l'extension de message. Tapez **aide** pour en savoir plus.",
    },
    help: {
      en: "**Image Pro**\n\n- Add an **Image Pro** tab to a channel to pin an image or a gallery.\n- Edit images (crop, rotate, text, filters) and save them back to SharePoint.\n- In a message, use the Image Pro extension to find an image and insert it as a card.",
      fr: "**Image Pro**\n\n- Ajoutez un onglet **Image Pro** à un canal pour épingler une image ou une galerie.\n- Modifiez les images (recadrage, rotation, texte, filtres) et enregistrez-les dans SharePoint.\n- Dans un message, utilisez l'extension Image Pro pour trouver une image et l'insérer en carte.",
    },
    fallback: {
      en: "I didn't catch that. Type **help** to see what I can do.",
      fr: "Je n'ai pas compris. Tapez **aide** pour voir ce que je sais faire.",
    },
  },
};
