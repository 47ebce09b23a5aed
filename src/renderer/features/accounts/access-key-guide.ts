/** AWS's own page on creating an access key for an IAM user (opened in the system browser). */
export const ACCESS_KEY_GUIDE_URL = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html';
