import { icon } from './icons';

/** Icons beyond the sidebar's set (actions, fields, sorting), drawn the same way and shared by every screen. */
export const ExtraIcons = {
  copy: icon(
    <>
      <rect x="7" y="7" width="9.5" height="9.5" rx="1.5" />
      <path d="M13 7V5a1.5 1.5 0 0 0-1.5-1.5h-6A1.5 1.5 0 0 0 4 5v6.5A1.5 1.5 0 0 0 5.5 13H7" />
    </>,
    'CopyIcon',
  ),
  search: icon(
    <>
      <circle cx="8.5" cy="8.5" r="5" />
      <path d="m12.2 12.2 4.3 4.3" />
    </>,
    'SearchIcon',
  ),
  start: icon(<path d="M6.5 4.5v11l9-5.5-9-5.5Z" />, 'StartIcon'),
  stop: icon(<rect x="5" y="5" width="10" height="10" rx="1.5" />, 'StopIcon'),
  hibernate: icon(
    <>
      <path d="M15.5 12A6 6 0 0 1 8 4.5a6 6 0 1 0 7.5 7.5Z" />
      <path d="M12 3.5h3l-3 3.5h3" />
    </>,
    'HibernateIcon',
  ),
  reboot: icon(
    <>
      <path d="M4 10a6 6 0 0 1 10.2-4.3" />
      <path d="M14.5 2.8v3.3h-3.3" />
      <path d="M16 10a6 6 0 0 1-10.2 4.3" />
      <path d="M5.5 17.2v-3.3h3.3" />
    </>,
    'RebootIcon',
  ),
  terminate: icon(
    <>
      <path d="M3.5 5.5h13M8 5.5V4a1 1 0 0 1 1-1h2a1 1 0 0 1 1 1v1.5" />
      <path d="M5 5.5l.8 10.1a1.5 1.5 0 0 0 1.5 1.4h5.4a1.5 1.5 0 0 0 1.5-1.4L15 5.5M8.5 8.5v5M11.5 8.5v5" />
    </>,
    'TerminateIcon',
  ),
  sortUp: icon(<path d="M6 12.5 10 8.5l4 4" />, 'SortUpIcon'),
  sortDown: icon(<path d="M6 8.5 10 12.5l4-4" />, 'SortDownIcon'),
  eye: icon(
    <>
      <path d="M1.8 10s3-5.5 8.2-5.5 8.2 5.5 8.2 5.5-3 5.5-8.2 5.5S1.8 10 1.8 10Z" />
      <circle cx="10" cy="10" r="2.5" />
    </>,
    'EyeIcon',
  ),
  eyeOff: icon(
    <>
      <path d="M3 3l14 14" />
      <path d="M8.2 4.8A8.6 8.6 0 0 1 10 4.5c5.2 0 8.2 5.5 8.2 5.5a14 14 0 0 1-2.3 2.9M5.3 6.3A13.7 13.7 0 0 0 1.8 10s3 5.5 8.2 5.5a8 8 0 0 0 3.4-.8" />
      <path d="M8.3 8.3a2.5 2.5 0 0 0 3.4 3.4" />
    </>,
    'EyeOffIcon',
  ),
  shield: icon(
    <>
      <path d="M10 2.5 4 4.8v4.6c0 3.7 2.6 6.6 6 8.1 3.4-1.5 6-4.4 6-8.1V4.8L10 2.5Z" />
      <path d="m7.5 10 1.8 1.8L12.8 8" />
    </>,
    'ShieldIcon',
  ),
  globe: icon(
    <>
      <circle cx="10" cy="10" r="7" />
      <path d="M3 10h14M10 3c2 2 2.8 4.4 2.8 7S12 15 10 17c-2-2-2.8-4.4-2.8-7S8 5 10 3Z" />
    </>,
    'GlobeIcon',
  ),
  import: icon(
    <>
      <path d="M10 3v9M6.5 8.5 10 12l3.5-3.5" />
      <path d="M4 13.5v1.5A1.5 1.5 0 0 0 5.5 16.5h9A1.5 1.5 0 0 0 16 15v-1.5" />
    </>,
    'ImportIcon',
  ),
  gear: icon(
    <>
      <circle cx="10" cy="10" r="2.5" />
      <path d="M10 2.5v2M10 15.5v2M2.5 10h2M15.5 10h2M4.7 4.7l1.4 1.4M13.9 13.9l1.4 1.4M4.7 15.3l1.4-1.4M13.9 6.1l1.4-1.4" />
    </>,
    'GearIcon',
  ),
  chart: icon(
    <>
      <path d="M3.5 3.5v13h13" />
      <path d="m6 12.5 3-3.5 2.5 2 4-5" />
    </>,
    'ChartIcon',
  ),
  star: icon(<path d="m10 3 2.1 4.4 4.8.6-3.5 3.3.9 4.8L10 13.8l-4.3 2.3.9-4.8L3.1 8l4.8-.6L10 3Z" />, 'StarIcon'),
  upload: icon(
    <>
      <path d="M10 14V4M5.5 8.5 10 4l4.5 4.5" />
      <path d="M4 16h12" />
    </>,
    'UploadIcon',
  ),
  folderUp: icon(
    <>
      <path d="M3 6.5A1.5 1.5 0 0 1 4.5 5h3l1.5 1.5h6.5A1.5 1.5 0 0 1 17 8v6.5a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 3 14.5Z" />
      <path d="M10 13.5v-4.5M8 11l2-2 2 2" />
    </>,
    'FolderUploadIcon',
  ),
  screen: icon(
    <>
      <rect x="2.5" y="3.5" width="15" height="10.5" rx="1.5" />
      <path d="M7 17h6M10 14v3M5.5 7l2 1.5-2 1.5M9.5 10.5h3" />
    </>,
    'ScreenIcon',
  ),
} as const;
