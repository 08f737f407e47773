import { builtTabDir, type AppDefinition } from '@teamspro/core';

export const definition: AppDefinition = {
  id: 'calendar',
  displayName: 'Calendar Pro',
  tabDir: builtTabDir(import.meta.url),
  botTexts: {
    welcome: {
      en: "Hi! I'm Calendar Pro. I send event notifications and reminders for your shared calendars. Type **help** for more.",
      fr: "Bonjour ! Je suis Calendar Pro. J'envoie les notifications et rappels de vos calendriers partagés. Tapez **aide** pour en savoir plus.",
    },
    help: {
      en: "**Calendar Pro**\n\n- Add a **Calendar Pro** tab to a channel or chat to share a calendar.\n- The personal tab gathers all your calendars.\n- I remind participants before events and tell the channel when events change.",
      fr: "**Calendar Pro**\n\n- Ajoutez un onglet **Calendar Pro** à un canal ou une conversation pour partager un calendrier.\n- L'onglet personnel regroupe tous vos calendriers.\n- Je rappelle les événements aux participants et préviens le canal des changements.",
    },
    fallback: {
      en: "I didn't catch that. Type **help** to see what I can do.",
      fr: "Je n'ai pas compris. Tapez **aide** pour voir ce que je sais faire.",
    },
  },
};
