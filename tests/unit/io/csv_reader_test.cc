// The strict CSV reader: quoting, line ends, BOM, malformed rows.
#include "io/csv_reader.h"

#include <gtest/gtest.h>

namespace rackforge::io {
namespace {

CsvTable Parse(std::string_view text, std::vector<Diagnostic>* errors) { return ParseCsv(text, "t.csv", errors); }

TEST(CsvReader, QuotedCellsWithCommasQuotesAndLineBreaks) {
  std::vector<Diagnostic> errors;
  const CsvTable t = Parse("id,name\na,\"x, \"\"y\"\"\"\nb,\"two\nlines\"\nc,plain\n", &errors);
  ASSERT_TRUE(errors.empty());
  ASSERT_EQ(t.header(), (std::vector<std::string>{"id", "name"}));
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.cell(0, 1), "x, \"y\"");
  EXPECT_EQ(t.cell(1, 1), "two\nlines");
  EXPECT_EQ(t.row_line(1), 3);
  EXPECT_EQ(t.row_line(2), 5);  // the quoted line break counts
  EXPECT_EQ(t.cell(2, 0), "c");
}

TEST(CsvReader, CrlfBomBlankLinesAndTrimming) {
  std::vector<Diagnostic> errors;
  const CsvTable t = Parse("\xEF\xBB\xBF id , qty \r\n\r\n a ,  1.5\r\nb,\r\n", &errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(t.header(), (std::vector<std::string>{"id", "qty"}));
  EXPECT_EQ(t.header_line(), 1);
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.cell(0, 0), "a");
  EXPECT_EQ(t.cell(0, 1), "1.5");
  EXPECT_EQ(t.row_line(0), 3);
  EXPECT_EQ(t.cell(1, 1), "");
}

TEST(CsvReader, NoTrailingNewline) {
  std::vector<Diagnostic> errors;
  const CsvTable t = Parse("a,b\n1,2", &errors);
  ASSERT_TRUE(errors.empty());
  ASSERT_EQ(t.rows(), 1u);
  EXPECT_EQ(t.cell(0, 1), "2");
}

TEST(CsvReader, BadRowsAreReportedAndSkipped) {
  std::vector<Diagnostic> errors;
  const CsvTable t = Parse("a,b\n1,2,3\nx\"y,2\n\"q\"z,2\n4,5\n\"open,6\n", &errors);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].ToString(), "t.csv:2: row has 3 cells but the header has 2 columns");
  EXPECT_EQ(errors[1].ToString(),
            "t.csv:3: a quote inside an unquoted cell (quote the whole cell and double inner quotes)");
  EXPECT_EQ(errors[2].ToString(), "t.csv:4: characters after the closing quote of a cell");
  EXPECT_EQ(errors[3].ToString(), "t.csv:6: a quoted cell opened on line 6 is never closed");
  ASSERT_EQ(t.rows(), 1u);
  EXPECT_EQ(t.cell(0, 0), "4");
  EXPECT_EQ(t.row_line(0), 5);
}

TEST(CsvReader, EmptyFile) {
  std::vector<Diagnostic> errors;
  const CsvTable t = Parse("\n\n", &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].ToString(), "t.csv: no header row (the file is empty)");
  EXPECT_EQ(t.rows(), 0u);
}

TEST(CsvReader, SmallTableSurvivesMove) {
  // Cells are offsets into one buffer, so moving a table with a short buffer keeps them valid.
  std::vector<Diagnostic> errors;
  CsvTable t = Parse("a\nx\n", &errors);
  CsvTable moved = std::move(t);
  ASSERT_EQ(moved.rows(), 1u);
  EXPECT_EQ(moved.cell(0, 0), "x");
}

}  // namespace
}  // namespace rackforge::io
