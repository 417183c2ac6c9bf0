package io.github.mcmesh.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The validation message of a spec that must be rejected, for the spec tests. */
final class Rejections {

    private Rejections() {
    }

    /** Builds {@code builder}, expecting an {@link InvalidMeshSpecException}; returns its message. */
    static String messageOf(MeshSpec.Builder builder) {
        InvalidMeshSpecException e = catchThrowableOfType(InvalidMeshSpecException.class, builder::build);
        assertThat(e).as("expected the spec to be rejected").isNotNull();
        return e.getMessage();
    }
}
