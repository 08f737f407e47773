import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { tabViteConfig } from '../../core/tab/vite-config.js';

export default defineConfig(tabViteConfig(fileURLToPath(new URL('..', import.meta.url))));
