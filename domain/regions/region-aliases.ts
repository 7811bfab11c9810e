/**
 * Extra search names for regions, by region code: common abbreviations and colloquial names that the official
 * data does not contain. Only searched, never displayed. Keep this list short and uncontroversial. (Official names
 * and names without "DKI"/"DI" or "Kabupaten"/"Kota" are searchable already.)
 */
export const REGION_SEARCH_ALIASES: Readonly<Record<string, readonly string[]>> = {
  "12": ["Sumut"],
  "13": ["Sumbar"],
  "16": ["Sumsel"],
  "19": ["Babel"],
  "21": ["Kepri"],
  "31.71": ["Jakpus"],
  "31.72": ["Jakut"],
  "31.73": ["Jakbar"],
  "31.74": ["Jaksel"],
  "31.75": ["Jaktim"],
  "32": ["Jabar"],
  "33": ["Jateng"],
  "34": ["DIY", "Jogja", "Jogjakarta"],
  "34.71": ["Jogja", "Jogjakarta"],
  "35": ["Jatim"],
  "52": ["NTB"],
  "53": ["NTT"],
  "61": ["Kalbar"],
  "62": ["Kalteng"],
  "63": ["Kalsel"],
  "64": ["Kaltim"],
  "65": ["Kaltara"],
  "71": ["Sulut"],
  "72": ["Sulteng"],
  "73": ["Sulsel"],
  "73.10": ["Pangkep"],
  "74": ["Sultra"],
  "76": ["Sulbar"],
  "82": ["Malut"],
};
