package dev.millrace.transforms.sensor;

/** Great-circle distance on a sphere of the Earth's mean radius (6,371,008.8 m), by the haversine formula. */
public final class Haversine {
  public static final double EARTH_RADIUS_M = 6_371_008.8;

  private Haversine() {}

  /** Metres between two points given in degrees. */
  public static double meters(double lat1, double lon1, double lat2, double lon2) {
    double phi1 = Math.toRadians(lat1);
    double phi2 = Math.toRadians(lat2);
    double dPhi = Math.toRadians(lat2 - lat1);
    double dLambda = Math.toRadians(lon2 - lon1);
    double a = Math.sin(dPhi / 2) * Math.sin(dPhi / 2)
        + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dLambda / 2) * Math.sin(dLambda / 2);
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
  }
}
