package io.github.mcmesh.exec;

/**
 * A tool mcmesh needs is missing, or its configured path does not point at an executable. Thrown
 * by {@link Tools#path(Tool)} before any command runs; the message says which tool, where mcmesh
 * looked, the minimum version and where to get it.
 *
 * <pre>{@code
 * try {
 *     tools.path(Tool.HELM);
 * } catch (ToolNotFoundException e) {
 *     e.tool(); // HELM
 * }
 * }</pre>
 */
public class ToolNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Tool tool;

    public ToolNotFoundException(Tool tool, String message) {
        super(message);
        this.tool = tool;
    }

    /** The tool that could not be found. */
    public Tool tool() {
        return tool;
    }
}
