import type { ReactNode } from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '960px', margin: '0 auto', width: '100%', boxSizing: 'border-box' },
  title: {
    margin: 0,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeHero700,
    lineHeight: tokens.lineHeightHero700,
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground1,
    overflowWrap: 'anywhere',
    '@media (max-width: 599px)': { fontSize: tokens.fontSizeBase600, lineHeight: tokens.lineHeightBase600 },
  },
});

/** A screen: its one `<h1>` and content. The shell provides the `<main>` landmark around it. */
export function Page({ title, children, className }: { title: string; children?: ReactNode; className?: string }) {
  const styles = useStyles();
  return (
    <div className={mergeClasses(styles.root, className)}>
      <h1 className={styles.title}>{title}</h1>
      {children}
    </div>
  );
}
