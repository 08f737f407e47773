import { builtTabDir, type AppDefinition } from '@teamspro/core';
import { registerApi } from './api/routes.js';
import { clickRoute } from './api/click-route.js';
import { imageRoute } from './api/image-route.js';
import { registerCardActions } from './bot/card-actions.js';
import type { CommunicatorOptions } from './options.js';
import { servicesFor } from './services.js';
import { communicatorWorkers } from './workers/runners.js';

const botTexts: AppDefinition['botTexts'] = {
  welcome: {
    en: "Hi! I'm Company Communicator Pro. I deliver your organization's announcements here; authors compose them in the Author tab. Type **help** to see what I can do.",
    fr: "Bonjour ! Je suis Company Communicator Pro. Je vous apporte ici les annonces de votre organisation ; les auteurs les rédigent dans l'onglet Auteur. Tapez **aide** pour voir ce que je sais faire.",
  },
  help: {
    en: "**Company Communicator Pro**\n\n- Announcements from your organization arrive in this chat.\n- Answer the feedback buttons on a message to tell its author what you think.\n- Authors: open the **Author** tab to compose, target, schedule and follow messages.",
    fr: "**Company Communicator Pro**\n\n- Les annonces de votre organisation arrivent dans cette conversation.\n- Répondez avec les boutons d'avis d'un message pour donner votre retour à son auteur.\n- Auteurs : ouvrez l'onglet **Auteur** pour rédiger, cibler, planifier et suivre les messages.",
  },
  fallback: {
    en: "I didn't catch that. Type **help** to see what I can do.",
    fr: "Je n'ai pas compris. Tapez **aide** pour voir ce que je sais faire.",
  },
};

/** Company Communicator Pro; options are for tests and tuning (see options.ts). */
export function createCommunicatorApp(options: CommunicatorOptions = {}): AppDefinition {
  return {
    id: 'communicator',
    displayName: 'Company Communicator Pro',
    tabDir: builtTabDir(import.meta.url),
    botTexts,
    jsonLimit: '512kb',
    bot: (ctx) => registerCardActions(ctx.teams, servicesFor(ctx, options)),
    api: (router, ctx) => registerApi(router, servicesFor(ctx, options)),
    routes: (router, ctx) => {
      clickRoute(router, servicesFor(ctx, options), ctx.logger);
      imageRoute(router, servicesFor(ctx, options));
    },
    workers: (ctx) => communicatorWorkers(ctx, servicesFor(ctx, options)),
  };
}

export const definition: AppDefinition = createCommunicatorApp();
