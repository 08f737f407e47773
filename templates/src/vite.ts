// Vite settings a tab needs to render these templates in the browser. Import it from vite.config.ts
// (a Node module: do not import it from browser code).
//
// adaptive-expressions 4.23.3, the engine under adaptivecards-templating, ships a browser build that fails
// on the first expression ("... is not a function", microsoft/botbuilder-js#4907, closed unfixed). Its Node
// build works in the browser once the few Node built-ins it touches have stand-ins.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const shim = (name: string) => fileURLToPath(new URL(`./browser-shims/${name}.cjs`, import.meta.url));

export interface TemplatesViteConfig {
  resolve: { alias: { find: RegExp; replacement: string }[] };
  optimizeDeps: { include: string[] };
  build: { commonjsOptions: { include: RegExp[] } };
}

/** Merge into the tab's Vite config: `defineConfig({ ...templatesViteConfig(), plugins: [...] })`, or merge the arrays. */
export function templatesViteConfig(): TemplatesViteConfig {
  return {
    resolve: {
      alias: [
        { find: /^adaptive-expressions$/, replacement: require.resolve('adaptive-expressions/lib/index.js') },
        { find: /^assert$/, replacement: shim('assert') },
        { find: /^util$/, replacement: shim('util') },
        { find: /^os$/, replacement: shim('os') },
      ],
    },
    // The UMD bundle of `adaptivecards` only works once Vite has pre-bundled it from CommonJS.
    optimizeDeps: { include: ['adaptivecards/dist/adaptivecards.js', 'adaptivecards-templating'] },
    // Production builds convert CommonJS only under node_modules unless told otherwise; the stand-ins are CommonJS.
    build: { commonjsOptions: { include: [/node_modules/, /browser-shims[\\/]/] } },
  };
}
