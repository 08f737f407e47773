// One TeamsPro app on Azure, shared by the five apps' infra/azure.bicep:
// - a user-assigned managed identity: the bot's identity (no bot secret) and the app's Azure identity;
// - a Linux App Service plan and web app: Node 20, https only, Always On, FTP disabled, TLS 1.2;
// - its app settings (the names core/src/config/config.ts reads);
// - an Azure Bot (msaAppType UserAssignedMSI) with the Microsoft Teams channel.
// Storage and Application Insights are the suite's shared resources (infra/azure.bicep at the root).

param resourceBaseName string
param location string
param webAppSku string
param botDisplayName string
param workspaceName string
param storageAccountName string
param storagePrefix string
param appInsightsName string
param aadAppClientId string
param aadAppTenantId string

@secure()
param aadAppClientSecret string

@description('Further app settings for one app, e.g. MetaOffice Pro\'s Web PubSub endpoint. Not for secrets.')
param extraAppSettings object = {}

@secure()
@description('Secret app settings for one app, e.g. Company Communicator Pro\'s CLICK_SIGNING_KEY.')
param appSecrets object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: resourceBaseName
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // The app runs from its npm workspace (start script), with the workspace installed by App Service.
      appCommandLine: 'npm start --workspace=${workspaceName}'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      webSocketsEnabled: true
      healthCheckPath: '/healthz'
    }
  }
}

var domain = webApp.properties.defaultHostName
var storageConnectionString = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

// A separate config resource, so the settings can use the web app's own host name.
resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: union({
    NODE_ENV: 'production'
    HOST: '0.0.0.0'
    PUBLIC_URL: 'https://${domain}'
    // Install the npm workspace on Linux during zip deploy (dev dependencies included: the start script runs tsx).
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
    CUSTOM_BUILD_COMMAND: 'npm ci --include=dev --no-audit --no-fund'
    // The bot authenticates with the managed identity (Teams SDK names).
    CLIENT_ID: identity.properties.clientId
    MANAGED_IDENTITY_CLIENT_ID: identity.properties.clientId
    AZURE_CLIENT_ID: identity.properties.clientId
    TENANT_ID: identity.properties.tenantId
    // Tab sign-in: tokens for the Entra app, Application ID URI api://<host>/<client id>.
    AUTH_AUDIENCE: 'api://${domain}/${aadAppClientId},${aadAppClientId}'
    // The Entra app is single tenant (see teamsapp.yml): only its tenant's tokens are accepted.
    AUTH_ALLOWED_TENANTS: aadAppTenantId
    AAD_APP_CLIENT_ID: aadAppClientId
    AAD_APP_TENANT_ID: aadAppTenantId
    AAD_APP_CLIENT_SECRET: aadAppClientSecret
    STORAGE_CONNECTION_STRING: storageConnectionString
    STORAGE_PREFIX: storagePrefix
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  }, extraAppSettings, appSecrets)
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${domain}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    msaAppType: 'UserAssignedMSI'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

output botId string = identity.properties.clientId
output identityPrincipalId string = identity.properties.principalId
output domain string = domain
output endpoint string = 'https://${domain}'
output webAppResourceId string = webApp.id
