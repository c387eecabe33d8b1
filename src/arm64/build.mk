# SPDX-License-Identifier: GPL-3.0-or-later
# All arm64 knowledge. The compute part is pure and unit-tested on the host.
