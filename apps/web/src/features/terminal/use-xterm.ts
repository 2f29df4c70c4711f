import { useEffect, useRef, useState, type RefObject } from 'react';
import { ClipboardAddon, type IClipboardProvider } from '@xterm/addon-clipboard';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { TerminalConnection, type TerminalStatus } from './terminal-connection.ts';
import { getClipboardWrites, getScreenReaderMode } from './terminal-prefs.ts';

/** OSC 52 writes go to the browser's clipboard; reads get nothing. */
const WRITE_ONLY_CLIPBOARD: IClipboardProvider = {
  readText: () => '',
  writeText: (_selection, text) => navigator.clipboard?.writeText(text).catch(() => {}),
};

const RESIZE_DEBOUNCE_MS = 50;

// The app's dark palette (index.html's theme colour as the background). Black is a grey that
// can be read on it: programs print text in black too.
const THEME: ITheme = {
  background: '#141518',
  foreground: '#e4e4e9',
  cursor: '#aab4ff',
  cursorAccent: '#141518',
  selectionBackground: '#3b4270',
  black: '#4a4d5a',
  red: '#f07178',
  green: '#a6da95',
  yellow: '#eed49f',
  blue: '#8aadf4',
  magenta: '#c6a0f6',
  cyan: '#8bd5ca',
  white: '#c8cad4',
  brightBlack: '#6e7180',
  brightRed: '#ff8b92',
  brightGreen: '#b8e6a6',
  brightYellow: '#f5dfb0',
  brightBlue: '#a3c0f8',
  brightMagenta: '#d5b8fa',
  brightCyan: '#a5e3da',
  brightWhite: '#f2f3f7',
};

export interface XtermHandle {
  terminal: Terminal;
  search: SearchAddon;
}

interface Options {
  terminalId: string;
  /** Ctrl+Shift+F in the terminal. */
  onSearchKey: () => void;
}

/**
 * An xterm.js terminal in `container`, attached to a BooTerm session: WebGL renderer (the DOM
 * one when WebGL fails or its context is lost), fitted to the container before connecting and
 * after every resize, links clickable, OSC 52 copies to the clipboard.
 */
export function useXterm(
  container: RefObject<HTMLDivElement | null>,
  { terminalId, onSearchKey }: Options,
): { handle: XtermHandle | null; status: TerminalStatus; message: string | null } {
  const [handle, setHandle] = useState<XtermHandle | null>(null);
  const [status, setStatus] = useState<TerminalStatus>('connecting');
  const [message, setMessage] = useState<string | null>(null);
  const searchKey = useRef(onSearchKey);
  useEffect(() => {
    searchKey.current = onSearchKey;
  });

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const term = new Terminal({
      fontFamily:
        "'JetBrains Mono', ui-monospace, 'SF Mono', 'Cascadia Code', Menlo, Consolas, 'Liberation Mono', monospace",
      fontSize: 13,
      lineHeight: 1.15,
      scrollback: 10_000,
      cursorBlink: true,
      allowProposedApi: true,
      screenReaderMode: getScreenReaderMode(),
      theme: THEME,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.loadAddon(new WebLinksAddon());
    // OSC 52 from a program sets the clipboard only when the user allowed it; a program asking to
    // read the clipboard is always answered with nothing.
    if (getClipboardWrites()) term.loadAddon(new ClipboardAddon(undefined, WRITE_ONLY_CLIPBOARD));
    term.open(el);
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => webgl.dispose());
      term.loadAddon(webgl);
    } catch {
      // No WebGL2 here: xterm.js keeps its DOM renderer.
    }

    const fitNow = () => {
      if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit();
    };
    fitNow();

    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey || e.altKey || e.metaKey) return true;
      const key = e.key.toLowerCase();
      if (key === 'f') {
        e.preventDefault();
        searchKey.current();
        return false;
      }
      if (key === 'c') {
        // Ctrl+C is the interrupt; Ctrl+Shift+C copies (and is not the browser's inspector).
        e.preventDefault();
        const text = term.getSelection();
        if (text) void navigator.clipboard?.writeText(text).catch(() => {});
        return false;
      }
      // Ctrl+Shift+V: the browser's own paste reaches xterm.js as a paste event.
      return key !== 'v';
    });

    const connection = new TerminalConnection(terminalId, {
      reset: () => {
        // After whatever the previous socket left queued: the replay starts on a clean screen.
        term.write(new Uint8Array(0), () => term.reset());
      },
      write: (data, done) => term.write(data, done),
      size: () => {
        fitNow();
        return { cols: term.cols, rows: term.rows };
      },
      status: (s, msg) => {
        setStatus(s);
        setMessage(msg ?? null);
      },
    });
    const offData = term.onData((d) => connection.input(d));
    const offBinary = term.onBinary((d) => connection.binary(d));
    const offResize = term.onResize(({ cols, rows }) => connection.resize(cols, rows));

    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(fitNow, RESIZE_DEBOUNCE_MS);
    });
    observer.observe(el);

    // Back in this tab or window, or in this terminal: its size wins over another view's.
    const claim = () => {
      if (document.visibilityState === 'visible') connection.claimSize();
    };
    term.textarea?.addEventListener('focus', claim);
    window.addEventListener('focus', claim);
    document.addEventListener('visibilitychange', claim);

    connection.start();
    setHandle({ terminal: term, search });
    // A pane just opened got the focus before its terminal existed: hand it on.
    if (document.activeElement === el.closest('[data-pane-id]')) term.focus();
    return () => {
      term.textarea?.removeEventListener('focus', claim);
      window.removeEventListener('focus', claim);
      document.removeEventListener('visibilitychange', claim);
      clearTimeout(timer);
      observer.disconnect();
      connection.stop();
      offData.dispose();
      offBinary.dispose();
      offResize.dispose();
      term.dispose();
      setHandle(null);
    };
  }, [container, terminalId]);

  return { handle, status, message };
}
