import { mountTab } from '@teamspro/core/tab';
import { App } from './App.js';
import { resources } from './i18n.js';

mountTab(resources, <App />);
