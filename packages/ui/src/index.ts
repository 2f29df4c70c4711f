export { cn } from './cn.ts';
export { Button, buttonVariants, type ButtonProps } from './button.tsx';
export { Input } from './input.tsx';
export { Textarea } from './textarea.tsx';
export { NativeSelect } from './native-select.tsx';
export { Alert, alertVariants } from './alert.tsx';
export { Spinner } from './spinner.tsx';
export { Kbd } from './kbd.tsx';
export { Toast, ToastViewport, toastVariants } from './toast.tsx';
