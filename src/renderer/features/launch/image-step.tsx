import { useState, type ReactNode } from 'react';
import type { ImageCatalog, LaunchImage, RegionScope } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { formatDate } from './launch-format';
import type { Remote } from './use-remote';

export interface ImageStepProps {
  scope: RegionScope;
  catalog: Remote<ImageCatalog>;
  selected: LaunchImage | undefined;
  onSelect: (image: LaunchImage) => void;
}

function ImageOption({ image, checked, onSelect, group }: { image: LaunchImage; checked: boolean; onSelect: () => void; group: string }): ReactNode {
  const title = image.presetLabel ?? image.name;
  return (
    <label className={`launch-option${checked ? ' launch-option--checked' : ''}`}>
      <input type="radio" name={group} checked={checked} onChange={onSelect} aria-label={`${title} ${image.architecture}`} />
      <span className="launch-option__main">
        <span className="launch-option__title">
          {title} <span className="badge">{image.architecture}</span>
          {image.gpu && <span className="badge badge--gpu">GPU</span>}
        </span>
        <span className="launch-option__meta mono">{image.name}</span>
        <span className="launch-option__meta">
          {image.imageId} · {formatDate(image.creationDate)} · root {image.rootSizeGiB} GiB · user <span className="mono">{image.user}</span>
        </span>
      </span>
    </label>
  );
}

/** Presets resolved live in the region (SSM), the account's own AMIs, and a search over public images. */
export function ImageStep({ scope, catalog, selected, onSelect }: ImageStepProps): ReactNode {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<LaunchImage[]>();
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<HangarError>();

  async function search(): Promise<void> {
    if (query.trim() === '') return;
    setSearching(true);
    setSearchError(undefined);
    try {
      setResults(await api.launch.searchImages(scope, query.trim()));
    } catch (error) {
      setSearchError(toHangarError(error));
    } finally {
      setSearching(false);
    }
  }

  if (catalog.status === 'loading') {
    return (
      <p className="busy-line" role="status">
        <span className="spinner" aria-hidden="true" /> Looking up the current images in {scope.region}…
      </p>
    );
  }
  if (catalog.status === 'failed') return <ErrorNotice title="Could not look up images" error={catalog.error} onRetry={catalog.reload} />;
  const { presets, mine, missingPresets } = catalog.value;

  return (
    <div className="launch-step">
      <fieldset className="launch-group">
        <legend className="launch-group__title">Recommended images</legend>
        <p className="launch-note">The newest releases in {scope.region}, looked up through AWS’s public SSM parameters.</p>
        <div className="launch-options" role="radiogroup" aria-label="Recommended images">
          {presets.map((image) => (
            <ImageOption key={image.imageId} image={image} group="launch-image" checked={selected?.imageId === image.imageId} onSelect={() => onSelect(image)} />
          ))}
        </div>
        {missingPresets.length > 0 && <p className="launch-note">Not published in this region: {missingPresets.join(', ')}.</p>}
      </fieldset>
      <fieldset className="launch-group">
        <legend className="launch-group__title">My AMIs</legend>
        {mine.length === 0 ? (
          <p className="launch-note">This account owns no available images in {scope.region}. Make one from an instance with Create image… on the Instances screen.</p>
        ) : (
          <div className="launch-options" role="radiogroup" aria-label="My AMIs">
            {mine.map((image) => (
              <ImageOption key={image.imageId} image={image} group="launch-image" checked={selected?.imageId === image.imageId} onSelect={() => onSelect(image)} />
            ))}
          </div>
        )}
      </fieldset>
      <fieldset className="launch-group">
        <legend className="launch-group__title">Search public images</legend>
        <div className="launch-inline">
          <input
            className="field__input"
            aria-label="Image name or AMI ID"
            placeholder="Name (wildcards allowed) or ami-…"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                // Enter here searches rather than moving to the next step.
                event.preventDefault();
                void search();
              }
            }}
            spellCheck={false}
          />
          <Button onClick={() => void search()} disabled={searching || query.trim() === ''}>
            {searching ? 'Searching…' : 'Search'}
          </Button>
        </div>
        {searchError && <ErrorNotice error={searchError} />}
        {results && results.length === 0 && <p className="launch-note">No available image matches “{query.trim()}”.</p>}
        {results && results.length > 0 && (
          <div className="launch-options" role="radiogroup" aria-label="Search results">
            {results.map((image) => (
              <ImageOption key={image.imageId} image={image} group="launch-image" checked={selected?.imageId === image.imageId} onSelect={() => onSelect(image)} />
            ))}
          </div>
        )}
      </fieldset>
    </div>
  );
}
