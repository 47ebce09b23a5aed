import type { ReactNode } from 'react';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { Icons } from '../../components/icons';
import { ACCESS_KEY_GUIDE_URL } from './access-key-guide';

export interface AddAccountDialogProps {
  open: boolean;
  onClose: () => void;
  onOpenGuide: () => void;
}

/**
 * Until sign-in with a key ships, "Add account" explains the step instead of being a dead button:
 * what a key is, where it comes from, and where it will be kept.
 */
export function AddAccountDialog({ open, onClose, onOpenGuide }: AddAccountDialogProps): ReactNode {
  return (
    <Dialog
      open={open}
      title="Add an AWS account"
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" trailingIcon={<Icons.external size={14} />} onClick={onOpenGuide} title={ACCESS_KEY_GUIDE_URL}>
            How to create an access key
          </Button>
          <Button variant="primary" onClick={onClose} autoFocus>
            Got it
          </Button>
        </>
      }
    >
      <p>Hangar signs in to AWS with an access key that belongs to an IAM user. You will need:</p>
      <ul className="checklist">
        <li>
          <Icons.check size={16} className="checklist__icon" />
          <span>
            An <strong>access key ID</strong>, which starts with <code>AKIA</code>
          </span>
        </li>
        <li>
          <Icons.check size={16} className="checklist__icon" />
          <span>
            Its <strong>secret access key</strong>, shown only once, when the key is created in the IAM console
          </span>
        </li>
        <li>
          <Icons.check size={16} className="checklist__icon" />
          <span>Permission for that user to list, start and stop EC2 instances</span>
        </li>
      </ul>
      <p className="dialog__note">
        Entering the key in Hangar arrives in the next release. The secret will be kept in your system keychain, never in a file or in
        this window.
      </p>
    </Dialog>
  );
}
