import { mountTab, WelcomeScreen } from '@teamspro/core/tab';
import { resources } from './i18n.js';

mountTab(resources, <WelcomeScreen />);
