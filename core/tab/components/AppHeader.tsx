import { Avatar, Button, makeStyles, tokens } from '@fluentui/react-components';
import { PersonSwapRegular } from '@fluentui/react-icons';
import type { Me } from '../api/types.js';
import { useShellTranslation } from '../i18n/i18n.js';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    '@media (max-width: 599px)': { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}` },
  },
  appName: {
    margin: 0,
    fontSize: tokens.fontSizeBase500,
    lineHeight: tokens.lineHeightBase500,
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground1,
  },
  user: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, minWidth: 0, flexWrap: 'wrap' },
  identity: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0 },
  lines: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  name: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground1, fontSize: tokens.fontSizeBase300, lineHeight: tokens.lineHeightBase300 },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, lineHeight: tokens.lineHeightBase200, overflowWrap: 'anywhere' },
});

/** The banner: the app's name, and once signed in the user (name, UPN, tenant). */
export function AppHeader({ appName, me, onSwitchUser }: { appName: string; me?: Me; onSwitchUser?: () => void }) {
  const { t } = useShellTranslation();
  const styles = useStyles();
  return (
    <header className={styles.header}>
      <p className={styles.appName}>{appName}</p>
      {me && (
        <div className={styles.user}>
          <section className={styles.identity} aria-label={t('userRegion')} data-testid="signed-in-user">
            <Avatar name={me.name || me.upn} color="colorful" size={36} aria-hidden="true" />
            <div className={styles.lines}>
              <span className={styles.name}>{me.name || me.upn}</span>
              <span className={styles.secondary}>{me.upn}</span>
              <span className={styles.secondary}>{t('tenant')} <span data-testid="tenant-id">{me.tenantId}</span></span>
            </div>
          </section>
          {onSwitchUser && (
            <Button appearance="subtle" icon={<PersonSwapRegular />} onClick={onSwitchUser}>{t('switchUser')}</Button>
          )}
        </div>
      )}
    </header>
  );
}
