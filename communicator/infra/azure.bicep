// Company Communicator Pro on Azure. The resources come from the suite's shared module
// (infra/modules/teams-app.bicep at the repository root): a user-assigned managed identity, a Linux
// App Service plan and web app (Node 20, https only, Always On, FTP off) and an Azure Bot using that
// identity with the Microsoft Teams channel. Storage and Application Insights are the suite's shared ones.

@minLength(4)
@maxLength(20)
@description('Base name of this app\'s Azure resources.')
param resourceBaseName string

@description('App Service plan SKU (Always On needs Basic or above).')
param webAppSku string = 'B1'

@maxLength(42)
@description('Display name of the Azure Bot.')
param botDisplayName string

@description('npm workspace App Service starts.')
param workspaceName string

@description('The suite\'s shared storage account (same resource group).')
param storageAccountName string

@description('Prefix for this app\'s tables and queues in the shared account.')
param storagePrefix string

@description('The suite\'s shared Application Insights component (same resource group).')
param appInsightsName string

@description('Client id of the Entra app the tab signs in with.')
param aadAppClientId string

param aadAppTenantId string

@secure()
@description('Secret of that Entra app, for on-behalf-of calls to Microsoft Graph.')
param aadAppClientSecret string

@secure()
@minLength(32)
@description('HMAC key for click-tracking links: the same on every instance and kept across deployments (env/.env.dev.user SECRET_CLICK_SIGNING_KEY).')
param clickSigningKey string

@description('The Teams app (manifest) id, for proactive installation through Microsoft Graph (it finds the app in the tenant catalog by this id).')
param teamsAppId string = ''

param location string = resourceGroup().location

module app '../../infra/modules/teams-app.bicep' = {
  name: 'teams-app-${resourceBaseName}'
  params: {
    resourceBaseName: resourceBaseName
    location: location
    webAppSku: webAppSku
    botDisplayName: botDisplayName
    workspaceName: workspaceName
    storageAccountName: storageAccountName
    storagePrefix: storagePrefix
    appSecrets: { CLICK_SIGNING_KEY: clickSigningKey }
    appInsightsName: appInsightsName
    aadAppClientId: aadAppClientId
    aadAppTenantId: aadAppTenantId
    aadAppClientSecret: aadAppClientSecret
    extraAppSettings: { TEAMS_APP_ID: teamsAppId }
  }
}

// Written back to env/.env.<env> by arm/deploy.
output BOT_ID string = app.outputs.botId
output BOT_DOMAIN string = app.outputs.domain
output TAB_DOMAIN string = app.outputs.domain
output TAB_ENDPOINT string = app.outputs.endpoint
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = app.outputs.webAppResourceId
