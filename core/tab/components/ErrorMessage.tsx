import { Button, makeStyles, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { describeError, type ReadableError } from '../api/describe-error.js';
import { useShellTranslation } from '../i18n/i18n.js';

const useStyles = makeStyles({
  body: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
  detail: { display: 'block', marginTop: tokens.spacingVerticalXS },
  requestId: { display: 'block', marginTop: tokens.spacingVerticalXS, color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

export type ErrorMessageProps = {
  /** anything thrown by useApi() calls or sign-in; or give title/body directly */
  error?: unknown;
  message?: ReadableError;
  intent?: 'error' | 'warning';
  onRetry?: () => void;
  retryLabel?: string;
};

/** An error MessageBar with a readable title, the server's message, the request id and an optional retry. */
export function ErrorMessage({ error, message, intent = 'error', onRetry, retryLabel }: ErrorMessageProps) {
  const { t } = useShellTranslation();
  const styles = useStyles();
  const readable = message ?? describeError(error, t);
  return (
    <MessageBar intent={intent} role="alert" layout="multiline">
      <MessageBarBody className={styles.body}>
        <MessageBarTitle>{readable.title}</MessageBarTitle>
        <span className={styles.detail}>{readable.body}</span>
        {readable.requestId && <span className={styles.requestId}>{t('requestId', { id: readable.requestId })}</span>}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button appearance="secondary" onClick={onRetry}>{retryLabel ?? t('retry')}</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
