import { useId, type ReactNode } from 'react';
import type { ImageInfo } from '../../../shared/models/images';
import { Button } from '../../components/button';
import { formatWhen, stateLabel } from './images-format';

export interface ImageListProps {
  region: string;
  images: readonly ImageInfo[];
  onLaunch: (image: ImageInfo) => void;
  onShare: (image: ImageInfo) => void;
  onCopy: (image: ImageInfo) => void;
  onDeregister: (image: ImageInfo) => void;
}

/** The account's AMIs in the region, newest first, each with what can be done with it. */
export function ImageList({ region, images, onLaunch, onShare, onCopy, onDeregister }: ImageListProps): ReactNode {
  const headingId = useId();
  return (
    <section className="images-section" aria-labelledby={headingId}>
      <h2 className="images-section__title" id={headingId}>
        My AMIs <span className="images-section__count">{images.length}</span>
      </h2>
      {images.length === 0 ? (
        <p className="images-empty">
          No AMIs of this account in {region}. Make one from an instance: on the Instances screen select it and choose <strong>Create image…</strong>.
        </p>
      ) : (
        <div className="images-table-wrap">
          <table className="images-table">
            <caption className="visually-hidden">AMIs in {region}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">AMI ID</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">Shared</th>
                <th scope="col">Snapshots</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {images.map((image) => {
                const size = image.snapshots.reduce((sum, s) => sum + s.size, 0);
                const available = image.state === 'available';
                return (
                  <tr key={image.id}>
                    <td>
                      <span className="images-table__name">{image.name}</span>
                      {image.description !== '' && <span className="images-table__meta">{image.description}</span>}
                      <span className="images-table__meta">
                        {image.architecture}
                        {image.createdByHangar ? ' · made with Hangar' : ''}
                      </span>
                    </td>
                    <td className="mono">{image.id}</td>
                    <td>
                      <span className={`state-pill state-pill--${image.state}`}>
                        {image.state === 'pending' && <span className="spinner spinner--small" aria-hidden="true" />}
                        {stateLabel(image.state)}
                      </span>
                    </td>
                    <td>{formatWhen(image.creationDate)}</td>
                    <td>{image.isPublic ? 'Public' : 'Private or shared'}</td>
                    <td>
                      {image.snapshots.length} ({size} GiB)
                    </td>
                    <td className="images-table__actions">
                      <Button size="s" variant="primary" disabled={!available} aria-label={`Launch from ${image.name}`} title={available ? undefined : 'It can be launched once it is available'} onClick={() => onLaunch(image)}>
                        Launch…
                      </Button>
                      <Button size="s" aria-label={`Share ${image.name}`} onClick={() => onShare(image)}>
                        Share…
                      </Button>
                      <Button size="s" disabled={!available} aria-label={`Copy ${image.name} to another region`} onClick={() => onCopy(image)}>
                        Copy…
                      </Button>
                      <Button size="s" className="button--quiet-danger" aria-label={`Deregister ${image.name}`} onClick={() => onDeregister(image)}>
                        Deregister…
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
