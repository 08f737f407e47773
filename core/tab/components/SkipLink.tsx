import { makeStyles, tokens } from '@fluentui/react-components';
import { useShellTranslation } from '../i18n/i18n.js';

const useStyles = makeStyles({
  link: {
    position: 'absolute',
    left: tokens.spacingHorizontalS,
    top: '-100px',
    zIndex: 1000,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorBrandForegroundLink,
    fontWeight: tokens.fontWeightSemibold,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow8,
    ':focus': {
      top: tokens.spacingVerticalS,
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: '2px',
    },
  },
});

/** First stop of the Tab key: jumps over the header to the main content. */
export function SkipLink({ target }: { target: string }) {
  const { t } = useShellTranslation();
  const styles = useStyles();
  return (
    <a className={styles.link} href={`#${target}`} onClick={(e) => {
      e.preventDefault();
      document.getElementById(target)?.focus();
    }}>{t('skipToContent')}</a>
  );
}
