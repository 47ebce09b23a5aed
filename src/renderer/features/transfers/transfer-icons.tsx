import { icon } from '../../components/icons';

/** Icons only the transfers panel uses, drawn the same way (upload and folder upload are in ExtraIcons). */
export const TransferIcons = {
  download: icon(
    <>
      <path d="M10 4v10M5.5 9.5 10 14l4.5-4.5" />
      <path d="M4 16h12" />
    </>,
    'DownloadIcon',
  ),
  pause: icon(<path d="M7 5v10M13 5v10" />, 'PauseIcon'),
  resume: icon(<path d="M6.5 4.5v11l9-5.5-9-5.5Z" />, 'ResumeIcon'),
};
