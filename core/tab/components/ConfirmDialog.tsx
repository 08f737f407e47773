import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  Spinner,
  tokens,
} from '@fluentui/react-components';
import { ErrorMessage } from './ErrorMessage.js';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  danger: {
    backgroundColor: tokens.colorStatusDangerBackground3,
    color: tokens.colorNeutralForegroundOnBrand,
    ':hover': { backgroundColor: tokens.colorStatusDangerBackground3Hover, color: tokens.colorNeutralForegroundOnBrand },
    ':hover:active': { backgroundColor: tokens.colorStatusDangerBackground3Pressed, color: tokens.colorNeutralForegroundOnBrand },
  },
});

const focusable = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex="0"]';

/** When the control that opened the dialog is gone (e.g. the deleted item's menu): the first control of the screen. */
function firstFocusableInMain(): HTMLElement | null {
  const main = document.querySelector<HTMLElement>('main');
  return main?.querySelector<HTMLElement>(focusable) ?? main;
}

export type ConfirmDialogProps = {
  /** mount it when needed and set open; after closing it calls onDismiss once its exit animation is over */
  open: boolean;
  title: string;
  /** what will happen, in a sentence or two (and anything the user should check first) */
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  /** shown next to a spinner while onConfirm runs */
  busyLabel?: string;
  /** may be async: the dialog shows progress, stays open and shows the error if it throws, closes when it resolves */
  onConfirm: () => void | Promise<void>;
  /**
   * the dialog has closed (Cancel, Escape, or the action finished) and is gone from the screen: unmount it,
   * navigate… (leaving while a modal dialog is still up would leave the rest of the page aria-hidden)
   */
  onDismiss: () => void;
  /** a destructive action (delete, cancel a send): the confirm button is red */
  destructive?: boolean;
  /** disables the confirm button, e.g. while the dialog is still loading what it states */
  confirmDisabled?: boolean;
};

/**
 * A modal "are you sure?" dialog (Fluent `alertdialog`): focus moves into it, Escape cancels, and an async
 * action keeps it open with a spinner until it succeeds, or shows why it failed.
 *
 * Mount it only while needed (`{pending && <ConfirmDialog open … />}`): a Fluent Dialog, even closed, sets up
 * the focus manager's page-level "dummy" inputs that axe reports as focusable aria-hidden content.
 */
export function ConfirmDialog({ open, title, children, confirmLabel, cancelLabel, busyLabel, onConfirm, onDismiss, destructive, confirmDisabled }: ConfirmDialogProps) {
  const styles = useStyles();
  const [visible, setVisible] = useState(open);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const mounted = useRef(true);
  const closing = useRef(false);
  const latestDismiss = useRef(onDismiss);
  latestDismiss.current = onDismiss;
  useEffect(() => { mounted.current = true; return () => { mounted.current = false; }; }, []);
  // where focus was when the dialog opened: it goes back there on close (which also tells the focus manager
  // to take aria-hidden off the rest of the page; with focus left on <body> it stays hidden)
  // (read while rendering: by the time effects run, the dialog has already moved focus inside itself)
  const opener = useRef<HTMLElement | null>(null);
  const wasOpen = useRef(false);
  if (open && !wasOpen.current) {
    const active = typeof document === 'undefined' ? null : document.activeElement;
    opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
  }
  wasOpen.current = open;
  useEffect(() => {
    setVisible(open);
    if (open) {
      setError(undefined);
      setBusy(false);
      closing.current = false;
    }
  }, [open]);

  const closed = () => {
    if (!closing.current) return;
    closing.current = false;
    // Focus leaves the dialog first, then (once the surface is gone: while it is up, the focus trap keeps focus
    // inside it) lands back on the page. Passing through "nothing focused" lets the focus manager see focus
    // re-enter the page, which takes its page-level dummy inputs out of the Tab order again (else axe reports
    // them as focusable aria-hidden content).
    const active = document.activeElement;
    if (active instanceof HTMLElement) active.blur();
    setTimeout(() => {
      const back = opener.current?.isConnected ? opener.current : firstFocusableInMain();
      back?.focus({ preventScroll: true });
      if (mounted.current) latestDismiss.current();
    }, 0);
  };
  const close = () => {
    if (closing.current) return;
    closing.current = true;
    setVisible(false);
    // the exit animation reports its end; this covers reduced motion and hosts where it never runs
    setTimeout(closed, 600);
  };

  async function confirm() {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      if (mounted.current) { setBusy(false); close(); }
    } catch (err) {
      if (mounted.current) { setBusy(false); setError(err); }
    }
  }

  return (
    <Dialog
      modalType="alert"
      open={visible}
      onOpenChange={(_e, data) => { if (!data.open && !busy) close(); }}
      surfaceMotion={{ onMotionFinish: (_e, data) => { if (data.direction === 'exit') closed(); } }}
    >
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent className={styles.content}>
            {children}
            {error !== undefined && <ErrorMessage error={error} />}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" disabled={busy} onClick={close}>{cancelLabel}</Button>
            <Button
              appearance="primary"
              className={destructive ? styles.danger : undefined}
              // while busy it keeps focus (a disabled button would drop it to <body>)
              disabled={!busy && confirmDisabled}
              disabledFocusable={busy}
              icon={busy ? <Spinner size="tiny" /> : undefined}
              onClick={() => { void confirm(); }}
            >
              {busy && busyLabel ? busyLabel : confirmLabel}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
