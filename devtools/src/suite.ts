/** The five apps of the suite and the fixed local ports `npm start` uses. Tests pick free ports instead. */
export type SuiteApp = {
  /** workspace folder and short id */
  id: 'communicator' | 'contact' | 'calendar' | 'image' | 'metaoffice';
  displayName: string;
  /** local port of the app server (bot + tab API + tab) */
  port: number;
  /** local port of the Agents Playground pointed at this app's bot */
  playgroundPort: number;
  hasBot: boolean;
};

export const suiteApps: SuiteApp[] = [
  { id: 'communicator', displayName: 'Company Communicator Pro', port: 3978, playgroundPort: 56150, hasBot: true },
  { id: 'contact', displayName: 'Contact Pro', port: 3979, playgroundPort: 56151, hasBot: true },
  { id: 'calendar', displayName: 'Calendar Pro', port: 3980, playgroundPort: 56152, hasBot: true },
  { id: 'image', displayName: 'Image Pro', port: 3981, playgroundPort: 56153, hasBot: true },
  { id: 'metaoffice', displayName: 'MetaOffice Pro', port: 3982, playgroundPort: 56154, hasBot: true },
];

export const localPorts = {
  portal: 4000,
  graph: 4100,
  identity: 4200,
  mailWeb: 4300,
  smtp: 2525,
  azuriteBlob: 10000,
  azuriteQueue: 10001,
  azuriteTable: 10002,
} as const;
