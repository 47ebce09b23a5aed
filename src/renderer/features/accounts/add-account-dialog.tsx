import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { accessKeyIdSchema, type AccountSummary, type AddAccountInput } from '../../../shared/models/accounts';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { isCancelled } from '../../../shared/errors/hangar-error';
import { ACCESS_KEY_GUIDE_URL } from './access-key-guide';
import { Field, SelectField } from '../../components/field';
import { REGION_CHOICES, regionLabel } from './region-choices';
import { useFocusWhenOpen } from '../../components/use-focus-when-open';

export interface AddAccountDialogProps {
  open: boolean;
  onClose: () => void;
  onOpenGuide: () => void;
  onAdded: (account: AccountSummary) => void;
}

interface FormValues {
  label: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  defaultRegion: string;
}

const EMPTY: FormValues = { label: '', accessKeyId: '', secretAccessKey: '', sessionToken: '', defaultRegion: 'us-east-1' };

type FieldName = 'accessKeyId' | 'secretAccessKey' | 'sessionToken';
type FieldErrors = Partial<Record<FieldName, string | HangarError>>;

/** What we can tell without asking AWS. The wording says what a right value looks like. */
function validate(values: FormValues): FieldErrors {
  const errors: FieldErrors = {};
  const keyId = values.accessKeyId.trim();
  if (keyId === '') errors.accessKeyId = 'Enter the access key ID.';
  else if (!accessKeyIdSchema.safeParse(keyId).success) {
    errors.accessKeyId = 'An access key ID is 20 capital letters and digits and starts with AKIA (or ASIA for temporary keys).';
  }
  const secret = values.secretAccessKey.trim();
  if (secret === '') errors.secretAccessKey = 'Enter the secret access key.';
  else if (secret.length < 16) errors.secretAccessKey = 'A secret access key is 40 characters long. Check that it was copied whole.';
  if (keyId.startsWith('ASIA') && values.sessionToken.trim() === '' && !errors.accessKeyId) {
    errors.sessionToken = 'Keys that start with ASIA are temporary and need their session token.';
  }
  return errors;
}

/** Which field a refusal from AWS is about; the rest are shown above the buttons. */
function fieldFor(error: HangarError): FieldName | undefined {
  switch (error.code) {
    case 'AWS_INVALID_KEY_ID':
      return 'accessKeyId';
    case 'AWS_BAD_SECRET':
      return 'secretAccessKey';
    case 'AWS_TOKEN_EXPIRED':
      return 'sessionToken';
    default:
      return undefined;
  }
}

/**
 * Adds an account by access key. Main checks the key with STS GetCallerIdentity before storing
 * anything, so a wrong key never lands in the keychain; a refusal is shown next to the field it is about.
 */
export function AddAccountDialog({ open, onClose, onOpenGuide, onAdded }: AddAccountDialogProps): ReactNode {
  const [values, setValues] = useState<FormValues>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<HangarError>();
  const [checking, setChecking] = useState(false);
  const abort = useRef<AbortController | undefined>(undefined);
  const form = useRef<HTMLFormElement>(null);
  const keyIdInput = useRef<HTMLInputElement>(null);
  useFocusWhenOpen(keyIdInput, open);

  function change(name: keyof FormValues, value: string): void {
    setValues((current) => ({ ...current, [name]: value }));
    // An error is about the value it was given; editing that value clears it.
    if (name in errors) setErrors((current) => ({ ...current, [name]: undefined }));
  }

  function close(): void {
    abort.current?.abort();
    abort.current = undefined;
    setChecking(false);
    setValues(EMPTY);
    setErrors({});
    setFormError(undefined);
    onClose();
  }

  function focusFirstInvalid(): void {
    requestAnimationFrame(() => form.current?.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus());
  }

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (checking) return;
    const found = validate(values);
    setFormError(undefined);
    setErrors(found);
    if (Object.values(found).some(Boolean)) {
      focusFirstInvalid();
      return;
    }
    const input: AddAccountInput = {
      accessKeyId: values.accessKeyId.trim(),
      secretAccessKey: values.secretAccessKey.trim(),
      defaultRegion: values.defaultRegion,
      ...(values.label.trim() ? { label: values.label.trim() } : {}),
      ...(values.sessionToken.trim() ? { sessionToken: values.sessionToken.trim() } : {}),
    };
    const controller = new AbortController();
    abort.current = controller;
    setChecking(true);
    try {
      const account = await api.accounts.add.with({ signal: controller.signal })(input);
      if (controller.signal.aborted) return;
      abort.current = undefined;
      setChecking(false);
      setValues(EMPTY);
      onAdded(account);
      onClose();
    } catch (error) {
      if (controller.signal.aborted || isCancelled(error)) return;
      const wrapped = toHangarError(error);
      setChecking(false);
      const field = fieldFor(wrapped);
      if (field) {
        setErrors({ [field]: wrapped });
        focusFirstInvalid();
      } else {
        setFormError(wrapped);
      }
    }
  }

  return (
    <Dialog
      open={open}
      title="Add an AWS account"
      onClose={close}
      footer={
        <>
          <Button variant="ghost" trailingIcon={<Icons.external size={14} />} onClick={onOpenGuide} title={ACCESS_KEY_GUIDE_URL} className="dialog__footer-start">
            How to create an access key
          </Button>
          <Button onClick={close}>Cancel</Button>
          <Button variant="primary" type="submit" form="add-account-form" disabled={checking}>
            {checking ? 'Checking…' : 'Add account'}
          </Button>
        </>
      }
    >
      <form id="add-account-form" ref={form} className="form" onSubmit={(event) => void submit(event)} noValidate aria-busy={checking}>
        <p className="dialog__note">
          Use an access key ID and secret access key of an IAM user. Hangar checks them with AWS before saving. The secret access key and
          session token are kept in your system keychain, never in a file.
        </p>
        <Field
          label="Access key ID"
          value={values.accessKeyId}
          onChange={(value) => change('accessKeyId', value)}
          error={errors.accessKeyId}
          placeholder="AKIA…"
          className="field--mono"
          ref={keyIdInput}
          disabled={checking}
        />
        <Field
          label="Secret access key"
          value={values.secretAccessKey}
          onChange={(value) => change('secretAccessKey', value)}
          error={errors.secretAccessKey}
          secret
          disabled={checking}
        />
        <Field
          label="Session token"
          qualifier="optional"
          description="Only for temporary credentials, whose key ID starts with ASIA."
          value={values.sessionToken}
          onChange={(value) => change('sessionToken', value)}
          error={errors.sessionToken}
          secret
          disabled={checking}
        />
        <Field
          label="Label"
          qualifier="optional"
          value={values.label}
          onChange={(value) => change('label', value)}
          placeholder="e.g. Lab account"
          maxLength={80}
          disabled={checking}
        />
        {/* Full width: the region's name and code must be readable, not clipped to half a row. */}
        <SelectField label="Default region" value={values.defaultRegion} onChange={(value) => change('defaultRegion', value)} disabled={checking}>
          {REGION_CHOICES.map((region) => (
            <option key={region.name} value={region.name}>
              {regionLabel(region)}
            </option>
          ))}
        </SelectField>
        {checking && (
          <p className="busy-line" role="status">
            <span className="spinner" aria-hidden="true" />
            Checking the key with AWS…
          </p>
        )}
        {formError && <ErrorNotice error={formError} />}
      </form>
    </Dialog>
  );
}
