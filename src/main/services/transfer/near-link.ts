import type { SftpCalls } from '../ssh/sftp-calls';

/**
 * A link that answers within NEAR_RTT_MS (the same machine, a LAN, the same region) needs little in
 * flight to stay full, and more only fills sshd's buffers, which costs sshd a copy of what it holds per
 * packet (bench/README.md). A far link keeps everything sshd's window allows, to cover its round trip.
 */
const NEAR_RTT_MS = 2;
/** SFTP writes in flight on a near link (× 128 KiB); a far one has all of the job's 16. */
export const NEAR_SLOTS = 4;
/** Bytes a stream (tar, cat) may have waiting at sshd on a near link. */
export const NEAR_BACKLOG = 512 * 1024;

export function isNearLink(sftp: SftpCalls): boolean {
  return sftp.fastestMs < NEAR_RTT_MS;
}
