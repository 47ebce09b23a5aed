import { icon } from '../../components/icons';

/** Icons of the file browser, drawn on the app's grid (20×20, 1.6 strokes in currentColor). */
export const FileIcons = {
  folder: icon(<path d="M2.5 5.5A1.5 1.5 0 0 1 4 4h3.5l1.8 2H16a1.5 1.5 0 0 1 1.5 1.5v7A1.5 1.5 0 0 1 16 16H4a1.5 1.5 0 0 1-1.5-1.5Z" />, 'FolderIcon'),
  file: icon(
    <>
      <path d="M5 2.5h6.5L15.5 6.5v10a1 1 0 0 1-1 1h-9.5a1 1 0 0 1-1-1v-13a1 1 0 0 1 1-1Z" />
      <path d="M11.5 2.5v4h4" />
    </>,
    'FileIcon',
  ),
  link: icon(
    <>
      <path d="M5 2.5h6.5L15.5 6.5v10a1 1 0 0 1-1 1h-9.5a1 1 0 0 1-1-1v-13a1 1 0 0 1 1-1Z" />
      <path d="M7 14.5c0-3 1.5-4.5 5-4.5M10.5 8l1.8 2-1.8 2" />
    </>,
    'LinkIcon',
  ),
  folderLink: icon(
    <>
      <path d="M2.5 5.5A1.5 1.5 0 0 1 4 4h3.5l1.8 2H16a1.5 1.5 0 0 1 1.5 1.5v7A1.5 1.5 0 0 1 16 16H4a1.5 1.5 0 0 1-1.5-1.5Z" />
      <path d="M7 14c0-2.5 1.3-3.5 4.5-3.5M10 8.8l1.6 1.7L10 12.2" />
    </>,
    'FolderLinkIcon',
  ),
  other: icon(
    <>
      <path d="M5 2.5h6.5L15.5 6.5v10a1 1 0 0 1-1 1h-9.5a1 1 0 0 1-1-1v-13a1 1 0 0 1 1-1Z" />
      <path d="M8 12h4" />
    </>,
    'SpecialFileIcon',
  ),
  up: icon(<path d="M10 16V4M5 9l5-5 5 5" />, 'UpIcon'),
  newFolder: icon(
    <>
      <path d="M2.5 5.5A1.5 1.5 0 0 1 4 4h3.5l1.8 2H16a1.5 1.5 0 0 1 1.5 1.5v7A1.5 1.5 0 0 1 16 16H4a1.5 1.5 0 0 1-1.5-1.5Z" />
      <path d="M10 8.5v5M7.5 11h5" />
    </>,
    'NewFolderIcon',
  ),
  rename: icon(<path d="M12.5 4.5 15.5 7.5 7 16H4v-3ZM11 6l3 3" />, 'RenameIcon'),
  trash: icon(
    <>
      <path d="M3.5 5.5h13M8 5.5V3.5h4v2M5 5.5l.8 10.6a1.5 1.5 0 0 0 1.5 1.4h5.4a1.5 1.5 0 0 0 1.5-1.4L15 5.5" />
      <path d="M8.5 8.5v6M11.5 8.5v6" />
    </>,
    'TrashIcon',
  ),
  download: icon(<path d="M10 3v10M5.5 8.5 10 13l4.5-4.5M3.5 16.5h13" />, 'DownloadIcon'),
  upload: icon(<path d="M10 13V3M5.5 7.5 10 3l4.5 4.5M3.5 16.5h13" />, 'UploadIcon'),
  eye: icon(
    <>
      <path d="M2 10s3-5.5 8-5.5S18 10 18 10s-3 5.5-8 5.5S2 10 2 10Z" />
      <circle cx="10" cy="10" r="2.5" />
    </>,
    'EyeIcon',
  ),
} as const;
