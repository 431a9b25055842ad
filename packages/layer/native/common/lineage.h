/* Whether this process already runs under a filter installed by the layer
 * higher up in its lineage (fork and exec inherit filters). */
#ifndef MIRRORD_LAYER_LINEAGE_H
#define MIRRORD_LAYER_LINEAGE_H

/* True when LAYER_ENV_ACTIVE is set *and* the kernel reports a seccomp filter
 * on this process: the marker alone could have been copied into an unrelated
 * environment, the filter alone could be a container runtime's. */
int layer_filter_inherited(void);

/* Records in the environment that this lineage has a filter. */
void layer_mark_lineage(void);

#endif
