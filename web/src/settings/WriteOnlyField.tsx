// A value the server keeps but never answers back (a secret, a token): a
// password input the browser does not fill, saying it is write-only.
import type { InputHTMLAttributes } from 'react';
import { Field } from './Field';

export function WriteOnlyField(props: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string }) {
  return <Field type="password" autoComplete="new-password" spellCheck={false} hint="Write-only: stored encrypted, never shown again" {...props} />;
}
