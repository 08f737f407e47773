import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig, type UserConfig } from 'vite';
import { tabViteConfig } from '../../core/tab/vite-config.js';
import { templatesViteConfig } from '../../templates/src/vite.js';

const shell = tabViteConfig(fileURLToPath(new URL('..', import.meta.url)));
const shellChunks = shell.build?.rollupOptions?.output;
const shellManualChunks = !Array.isArray(shellChunks) && typeof shellChunks?.manualChunks === 'function' ? shellChunks.manualChunks : undefined;

// The shell's settings, plus what the card templates need to expand and render in the browser (the composer's
// live preview). The card renderer and the templating engine are most of the weight and only the composer
// needs them: it is loaded on demand, so the shell's catch-all "vendor" chunk leaves the rest of node_modules to
// Rollup, which puts them in the composer's chunk.
const chunks: UserConfig = {
  build: {
    // the composer's chunk carries the Adaptive Cards renderer and templating engine (about 1.4 MB minified)
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      output: {
        manualChunks(id, meta) {
          const named = shellManualChunks?.(id, meta);
          return named === 'vendor' ? undefined : named;
        },
      },
    },
  },
};

export default defineConfig(mergeConfig(mergeConfig(shell, templatesViteConfig()), chunks));
