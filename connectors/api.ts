import type { ConnectorDefinition, SourceConfigBase } from '../src/model/connector.ts';
import { azureDevOpsConnector } from './azure-devops/index.ts';
import { jiraConnector } from './jira/index.ts';
import { sampleConnector } from './sample/index.ts';

/**
 * Every connector by kind. Each contributes its `sources[]` config schema; a test checks every folder
 * under connectors/ is registered here.
 */
export const connectorDefinitions: readonly ConnectorDefinition<SourceConfigBase>[] = [sampleConnector, azureDevOpsConnector, jiraConnector];

export function connectorFor(kind: string): ConnectorDefinition<SourceConfigBase> | undefined {
  return connectorDefinitions.find((c) => c.kind === kind);
}
