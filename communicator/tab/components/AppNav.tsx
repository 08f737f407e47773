import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ImageMultipleRegular, MailMultipleRegular, SettingsRegular, TagMultipleRegular } from '@fluentui/react-icons';
import { NavLink, useLocation } from 'react-router';
import { useAppTranslation } from '@teamspro/core/tab';
import { useRoles } from '../hooks/useRoles.js';

const useStyles = makeStyles({
  nav: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  link: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    color: tokens.colorNeutralForeground2,
    textDecorationLine: 'none',
    fontWeight: tokens.fontWeightSemibold,
    borderBottom: `${tokens.strokeWidthThicker} solid transparent`,
    borderTopLeftRadius: tokens.borderRadiusMedium,
    borderTopRightRadius: tokens.borderRadiusMedium,
    ':hover': { color: tokens.colorNeutralForeground1, backgroundColor: tokens.colorSubtleBackgroundHover },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  current: { color: tokens.colorNeutralForeground1, borderBottomColor: tokens.colorCompoundBrandStroke },
});

/** The author tab's sections: messages, topics, the image gallery and, for tenant admins, settings. */
export function AppNav() {
  const { t } = useAppTranslation();
  const { isAdmin } = useRoles();
  const styles = useStyles();
  const { pathname } = useLocation();
  const inMessages = pathname === '/' || pathname === '/personal' || pathname.startsWith('/messages');
  const cls = ({ isActive }: { isActive: boolean }) => mergeClasses(styles.link, isActive && styles.current);
  return (
    <nav className={styles.nav} aria-label={t('nav.label')}>
      <NavLink to="/personal" className={mergeClasses(styles.link, inMessages && styles.current)} aria-current={inMessages ? 'page' : undefined}><MailMultipleRegular aria-hidden="true" />{t('nav.messages')}</NavLink>
      <NavLink to="/topics" className={cls}><TagMultipleRegular aria-hidden="true" />{t('nav.topics')}</NavLink>
      <NavLink to="/gallery" className={cls}><ImageMultipleRegular aria-hidden="true" />{t('nav.gallery')}</NavLink>
      {isAdmin && <NavLink to="/settings" className={cls}><SettingsRegular aria-hidden="true" />{t('nav.settings')}</NavLink>}
    </nav>
  );
}
