/** A tenant's alert routing: an AlertmanagerConfig in its namespace, secrets by reference only. */
import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { promDuration } from '../../core/duration';
import { createObject } from '../../core/l1';
import { AlertReceiver, AlertRouting } from '../../model/monitoring';

/** What a tenant's AlertmanagerConfig renders from. */
export interface AlertsIntent {
  /** The tenant's namespace. */
  readonly namespace: string;
  /** Labels of the tenant. */
  readonly labels: Record<string, string>;
  /** Labels the platform's Alertmanager selects its configuration by. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** The routing. */
  readonly routing: AlertRouting;
}

/** The tenant's alert route and receivers. */
export function renderAlertmanagerConfig(scope: Construct, intent: AlertsIntent): ApiObject {
  // Loaded only here: the Alertmanager bindings are large.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const servers = require('../../imports/monitoring.coreos.com-servers') as typeof import('../../imports/monitoring.coreos.com-servers');
  const a = intent.routing;
  const eq = servers.AlertmanagerConfigSpecRouteMatchersMatchType.VALUE_EQUALS;
  return createObject(scope, 'AlertmanagerConfig', servers.AlertmanagerConfig.GVK, servers.toJson_AlertmanagerConfigProps, {
    metadata: { name: 'tenant-alerts', namespace: intent.namespace, labels: { ...intent.labels, ...intent.selectorLabels } },
    spec: {
      route: {
        receiver: a.defaultReceiver,
        groupBy: a.groupBy ?? ['alertname', 'cluster', 'app'],
        repeatInterval: promDuration(a.repeatInterval ?? Duration.hours(4)),
        routes: a.criticalReceiver ? [{ receiver: a.criticalReceiver, matchers: [{ name: 'severity', value: 'critical', matchType: eq }] }] : undefined,
      },
      receivers: a.receivers.map(renderReceiver),
    },
  });
}

function renderReceiver(r: AlertReceiver) {
  return {
    name: r.name,
    webhookConfigs: r.webhookUrlSecret ? [{ urlSecret: { name: r.webhookUrlSecret.name, key: r.webhookUrlSecret.key }, sendResolved: true }] : undefined,
    slackConfigs: r.slack ? [{ apiUrl: { name: r.slack.apiUrlSecret.name, key: r.slack.apiUrlSecret.key }, channel: r.slack.channel, sendResolved: true }] : undefined,
    emailConfigs: r.email
      ? [{
          to: r.email.to,
          from: r.email.from,
          smarthost: r.email.smarthost,
          authUsername: r.email.authUsername,
          authPassword: r.email.authPasswordSecret ? { name: r.email.authPasswordSecret.name, key: r.email.authPasswordSecret.key } : undefined,
        }]
      : undefined,
  };
}
