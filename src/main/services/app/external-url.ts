import { HangarError } from '../../../shared/errors/hangar-error';

/**
 * Only http(s) URLs leave the app for the system browser. file:, javascript:, custom schemes and
 * credentials-in-URL are refused: a page that could open those could launch arbitrary programs.
 */
export function checkExternalUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'That is not a web address.', hint: 'Only http:// and https:// links can be opened.' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HangarError({
      code: 'INVALID_ARGUMENT',
      message: `Hangar only opens web links, not "${url.protocol}" addresses.`,
      hint: 'Only http:// and https:// links can be opened in the browser.',
    });
  }
  if (url.username || url.password) {
    throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'Links with a user name or password in them are not opened.', hint: 'Remove the credentials from the link.' });
  }
  return url.toString();
}
