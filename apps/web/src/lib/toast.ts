import { useSyncExternalStore } from 'react';

export interface ToastItem {
  id: number;
  message: string;
  variant: 'default' | 'destructive';
}

const TOAST_MS = 8000;
let toasts: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(): void {
  for (const l of listeners) l();
}

/** Shows a message in the corner for a few seconds. */
export function toast(message: string, variant: ToastItem['variant'] = 'default'): void {
  // The same failure repeated (a retry loop, a double click) shows once.
  if (toasts.some((t) => t.message === message)) return;
  const id = nextId++;
  toasts = [...toasts, { id, message, variant }].slice(-4);
  emit();
  setTimeout(() => dismissToast(id), TOAST_MS);
}

export function toastError(message: string): void {
  toast(message, 'destructive');
}

export function dismissToast(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useToasts(): ToastItem[] {
  return useSyncExternalStore(subscribe, () => toasts);
}
