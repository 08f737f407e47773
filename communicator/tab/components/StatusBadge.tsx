import { Badge, type BadgeProps } from '@fluentui/react-components';
import { useAppTranslation } from '@teamspro/core/tab';
import type { MessageStatus } from '../api/communicator-api.js';

const colors: Record<MessageStatus, BadgeProps['color']> = {
  draft: 'informative',
  template: 'informative',
  scheduled: 'brand',
  queued: 'warning',
  resolving: 'warning',
  sending: 'warning',
  sent: 'success',
  canceled: 'subtle',
  failed: 'danger',
};

export function StatusBadge({ status }: { status: MessageStatus }) {
  const { t } = useAppTranslation();
  return <Badge appearance="tint" color={colors[status] ?? 'informative'} data-testid="status-badge" data-status={status}>{t(`status.${status}`)}</Badge>;
}
