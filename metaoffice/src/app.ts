import { builtTabDir, type AppDefinition } from '@teamspro/core';

export const definition: AppDefinition = {
  id: 'metaoffice',
  displayName: 'MetaOffice Pro',
  tabDir: builtTabDir(import.meta.url),
  botTexts: {
    welcome: {
      en: "Hi! I'm MetaOffice Pro, your team's 2D virtual office. Open the tab to walk in, see who is around and start a call. Type **help** for more.",
      fr: "Bonjour ! Je suis MetaOffice Pro, le bureau virtuel 2D de votre équipe. Ouvrez l'onglet pour entrer, voir qui est là et lancer un appel. Tapez **aide** pour en savoir plus.",
    },
    help: {
      en: "**MetaOffice Pro**\n\n- Open the **Office** tab to enter your team's virtual office.\n- Walk next to a colleague to talk, or teleport to them from the people panel.\n- Knocks and invitations reach you here and in your activity feed.",
      fr: "**MetaOffice Pro**\n\n- Ouvrez l'onglet **Bureau** pour entrer dans le bureau virtuel de votre équipe.\n- Approchez-vous d'un collègue pour discuter, ou téléportez-vous depuis le panneau des personnes.\n- Les invitations et demandes d'entrée vous arrivent ici et dans votre flux d'activité.",
    },
    fallback: {
      en: "I didn't catch that. Type **help** to see what I can do.",
      fr: "Je n'ai pas compris. Tapez **aide** pour voir ce que je sais faire.",
    },
  },
};
