package io.github.mcmesh.spec;

/**
 * An IPv4 address with a prefix length, as written in {@code 10.10.0.0/16}. The address may
 * have host bits set (a docker bridge such as {@code 172.17.0.1/24} does); {@link #isNetwork()}
 * tells whether it does not.
 *
 * <pre>{@code
 * Cidr pods = Cidr.parse("10.10.0.0/16");
 * pods.overlaps(Cidr.parse("10.10.5.0/24")); // true
 * }</pre>
 */
public record Cidr(int address, int prefixLength) {

    public Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32, was " + prefixLength);
        }
    }

    /**
     * Parses {@code a.b.c.d/n}.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty; expected an IPv4 range such as 10.10.0.0/16");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("no prefix length; expected an IPv4 range such as 10.10.0.0/16");
        }
        int address = parseAddress(text.substring(0, slash));
        String prefix = text.substring(slash + 1);
        if (!prefix.matches("\\d{1,2}") || Integer.parseInt(prefix) > 32) {
            throw new IllegalArgumentException("prefix length '" + prefix + "' is not a number from 0 to 32");
        }
        return new Cidr(address, Integer.parseInt(prefix));
    }

    /**
     * Parses a dotted IPv4 address into its 32 bits.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static int parseAddress(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (four numbers 0-255 separated by dots)");
        }
        int address = 0;
        for (String part : parts) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (four numbers 0-255 separated by dots)");
            }
            address = (address << 8) | Integer.parseInt(part);
        }
        return address;
    }

    /** Formats 32 bits as a dotted IPv4 address. */
    public static String formatAddress(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "."
                + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    /** The mask of the prefix, e.g. {@code 0xffff0000} for /16. */
    public int mask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** The first address of the range. */
    public int networkAddress() {
        return address & mask();
    }

    /** The last address of the range. */
    public int broadcastAddress() {
        return networkAddress() | ~mask();
    }

    /** Whether no host bits are set, i.e. the text names a range, not an address in it. */
    public boolean isNetwork() {
        return address == networkAddress();
    }

    /** This range with its host bits cleared. */
    public Cidr network() {
        return new Cidr(networkAddress(), prefixLength);
    }

    /** Whether the address lies inside this range. */
    public boolean contains(int otherAddress) {
        return (otherAddress & mask()) == networkAddress();
    }

    /** Whether the whole of the other range lies inside this one. */
    public boolean contains(Cidr other) {
        return other.prefixLength >= prefixLength && contains(other.networkAddress());
    }

    /** Whether the two ranges share at least one address. */
    public boolean overlaps(Cidr other) {
        return contains(other.networkAddress()) || other.contains(networkAddress());
    }

    /** Whether the range lies inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918). */
    public boolean isPrivate() {
        return PRIVATE_RANGES[0].contains(this) || PRIVATE_RANGES[1].contains(this) || PRIVATE_RANGES[2].contains(this);
    }

    /** The address part alone, e.g. {@code 172.17.0.1} for {@code 172.17.0.1/24}. */
    public String addressText() {
        return formatAddress(address);
    }

    @Override
    public String toString() {
        return addressText() + "/" + prefixLength;
    }

    private static final Cidr[] PRIVATE_RANGES = {
        new Cidr(parseAddress("10.0.0.0"), 8),
        new Cidr(parseAddress("172.16.0.0"), 12),
        new Cidr(parseAddress("192.168.0.0"), 16),
    };
}
