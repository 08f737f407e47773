import { makeStyles, tokens } from '@fluentui/react-components';
import { useShellTranslation } from '../i18n/i18n.js';
import { useSession } from '../hooks/useSession.js';
import { Section } from './Section.js';

const useStyles = makeStyles({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    margin: 0,
    '@media (max-width: 479px)': { gridTemplateColumns: 'minmax(0, 1fr)', rowGap: tokens.spacingVerticalXXS },
  },
  term: { color: tokens.colorNeutralForeground2, fontWeight: tokens.fontWeightSemibold },
  value: { margin: 0, overflowWrap: 'anywhere', '@media (max-width: 479px)': { marginBottom: tokens.spacingVerticalS } },
});

/** "Your account": name, UPN, tenant id and roles of the signed-in user (from /api/me). */
export function SignedInUser() {
  const { t } = useShellTranslation();
  const { me } = useSession();
  const styles = useStyles();
  return (
    <Section title={t('user.heading')} data-testid="account">
      <dl className={styles.list}>
        <dt className={styles.term}>{t('user.name')}</dt><dd className={styles.value} data-testid="account-name">{me.name}</dd>
        <dt className={styles.term}>{t('user.upn')}</dt><dd className={styles.value} data-testid="account-upn">{me.upn}</dd>
        <dt className={styles.term}>{t('user.tenant')}</dt><dd className={styles.value} data-testid="account-tenant">{me.tenantId}</dd>
        <dt className={styles.term}>{t('user.roles')}</dt><dd className={styles.value}>{me.roles.length ? me.roles.join(', ') : t('user.noRoles')}</dd>
      </dl>
    </Section>
  );
}
