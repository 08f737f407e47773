// The TeamsPro suite's shared Azure resources (teamsapp.yml at the repository root provisions them):
// - one storage account: Tables, Queues and Blobs for all five apps (each app uses its own prefix);
// - a Log Analytics workspace and a workspace-based Application Insights component;
// - Azure Web PubSub for Socket.IO, which carries MetaOffice Pro's real-time traffic.
// The outputs land in env/.env.<env>; provision copies them into each app's env/.env.<env>.

@minLength(4)
@maxLength(16)
@description('Base name of the shared resources (letters and digits).')
param resourceBaseName string

@description('Web PubSub SKU: Free_F1 for trials, Standard_S1 or above for production.')
param webPubSubSku string = 'Free_F1'

param location string = resourceGroup().location

// Storage account names: 3-24 lowercase letters and digits.
var storageAccountName = take(toLower(replace('${resourceBaseName}st', '-', '')), 24)

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
  }
}

resource blobServices 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource queueServices 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {}
}

resource tableServices 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {}
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' = {
  name: '${resourceBaseName}-pubsub'
  location: location
  kind: 'SocketIO'
  sku: {
    name: webPubSubSku
    capacity: 1
  }
  properties: {
    // Apps authenticate with their managed identities (role assignment in metaoffice/infra/azure.bicep).
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

output SHARED_STORAGE_ACCOUNT_NAME string = storage.name
output SHARED_APPINSIGHTS_NAME string = appInsights.name
output SHARED_WEB_PUBSUB_NAME string = webPubSub.name
output SHARED_WEB_PUBSUB_ENDPOINT string = 'https://${webPubSub.properties.hostName}'
