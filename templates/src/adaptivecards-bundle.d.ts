// The package's UMD bundle has the same API as its `lib/` entry, whose extensionless ESM imports Node cannot load.
declare module 'adaptivecards/dist/adaptivecards.js' {
  const AdaptiveCards: typeof import('adaptivecards');
  export default AdaptiveCards;
}
