import type { LaunchService } from '../../src/main/services/launch/launch-service';
import type { LaunchRequest, RegionScope } from '../../src/shared/models/launch';

/** One t3.micro of the Ubuntu 24.04 preset, 10 GiB gp3, named "lab": the launch tests' baseline request. */
export async function ubuntuRequest(svc: Pick<LaunchService, 'images'>, scope: RegionScope, extra: Partial<LaunchRequest> = {}): Promise<LaunchRequest> {
  const ubuntu = (await svc.images(scope)).presets.find((p) => p.presetId === 'ubuntu-24.04-x86_64');
  if (!ubuntu) throw new Error('no ubuntu preset');
  return {
    ...scope,
    imageId: ubuntu.imageId,
    instanceType: 't3.micro',
    securityGroupIds: [],
    rootDeviceName: ubuntu.rootDeviceName,
    rootSizeGiB: 10,
    rootVolumeType: 'gp3',
    deleteOnTermination: true,
    count: 1,
    name: 'lab',
    tags: [],
    spot: false,
    ...extra,
  };
}
