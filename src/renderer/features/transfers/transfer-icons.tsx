import { icon } from '../../components/icons';

/** Icons the transfers panel adds to the app's set, drawn the same way. */
export const TransferIcons = {
  upload: icon(
    <>
      <path d="M10 14V4M5.5 8.5 10 4l4.5 4.5" />
      <path d="M4 16h12" />
    </>,
    'UploadIcon',
  ),
  download: icon(
    <>
      <path d="M10 4v10M5.5 9.5 10 14l4.5-4.5" />
      <path d="M4 16h12" />
    </>,
    'DownloadIcon',
  ),
  folderUp: icon(
    <>
      <path d="M3 6.5A1.5 1.5 0 0 1 4.5 5h3l1.5 1.5h6.5A1.5 1.5 0 0 1 17 8v6.5a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 3 14.5Z" />
      <path d="M10 13.5v-4.5M8 11l2-2 2 2" />
    </>,
    'FolderUploadIcon',
  ),
  pause: icon(<path d="M7 5v10M13 5v10" />, 'PauseIcon'),
  resume: icon(<path d="M6.5 4.5v11l9-5.5-9-5.5Z" />, 'ResumeIcon'),
};
