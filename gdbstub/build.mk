# SPDX-License-Identifier: GPL-3.0-or-later
# The GDB Remote Serial Protocol library: knows no KVM, unit-tested on the host.
