// The `adaptivecards` renderer, from the same UMD bundle @teamspro/templates validates with (one copy in the bundle).
import * as bundle from 'adaptivecards/dist/adaptivecards.js';
import { markdownToHtml } from './markdown.js';

type AdaptiveCardsModule = typeof import('adaptivecards');
// Node puts the webpack UMD exports under `default`; Vite, seeing `__esModule`, hands them over directly.
const exported = bundle as unknown as Partial<AdaptiveCardsModule> & { default?: AdaptiveCardsModule };
export const AdaptiveCards = (exported.AdaptiveCard ? exported : exported.default) as AdaptiveCardsModule;

// Teams renders TextBlock markdown (bold, italic, lists, links); the renderer only does so when given a processor.
AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = markdownToHtml(text);
  result.didProcess = true;
};
